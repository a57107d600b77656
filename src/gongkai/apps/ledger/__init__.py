"""The office's ledger (台账) in Excel both ways: the registry exported as the ledger (``export``)
and an office's existing ledger or catalogue imported (``importing``, ``kinds``)."""
