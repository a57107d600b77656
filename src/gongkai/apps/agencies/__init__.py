"""机关与人员: agencies in their hierarchy and the staff of each, with their roles."""
