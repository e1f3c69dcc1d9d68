"""Values: where each variable's value comes from (defaults < profile < data < --set < prompt)."""
