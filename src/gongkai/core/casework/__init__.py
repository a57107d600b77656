"""The daily casework as rules without a database: working days, the lifecycle of an application,
fees, letters, remedies, sign-off, identity checks, the catalogue's rules and case simulation."""
