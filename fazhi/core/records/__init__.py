"""The record kit: what every ledger's records share (see README.md in this package).

A ledger declares (`Ledger`, clocks, moves, import) and calls `perform`/`register`; everything
else — locking, status, timeline, clocks, audit, corrections, numbering, imports — lives here.
"""
