"""Active disclosure (主动公开): the catalogue of an agency's items, their review and publication."""
