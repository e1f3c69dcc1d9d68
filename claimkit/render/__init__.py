"""Render: a step's template, found in its folder, made into the text of a draft."""
