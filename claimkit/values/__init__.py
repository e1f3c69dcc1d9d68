"""Values: where each variable's value comes from.

Lowest first: defaults < profile < mail (``--reply-to``) < data < ``--set`` < prompt.
"""
