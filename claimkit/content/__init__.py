"""Content: playbooks and their YAML, read with positions and checked against the schema."""
