"""Replying to a complaint that came by mail.

- ``read``: the complaint mail as a ``Complaint`` (who, where to answer, subject, when,
  threading ids, the customer's own words), from the charsets Japanese mail really uses.
- ``thread``: the reply's subject and its In-Reply-To/References.
- ``quote``: the attribution line and the customer's words quoted with ``> ``.
- ``wrap``: body lines as Japanese (by phrase, with 禁則) and English mail lay them out.
- ``headers``: what the eml writer needs to write threading ids, names and bodies safely.

Nothing is imported here: each module imports what it needs (``email``, ``html``,
``budoux``) only when it is used, so a draft that wraps no Japanese pays for none of it.
"""
