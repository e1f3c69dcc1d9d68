"""Output: the Draft record and the bytes a user asked for (text, JSON, a mail)."""
