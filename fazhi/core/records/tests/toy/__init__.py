"""A toy ledger for the record kit's own tests: it uses every part of the kit (two clocks, a
capped and an open pause, an approval, a review by a second person, a child row, numbering,
corrections, an import and an export) and imports nothing from `fazhi.ledgers`.

Installed only under pytest (see settings.py). Attachments are not declared yet: the kit has
none until the attachments app is merged.
"""
