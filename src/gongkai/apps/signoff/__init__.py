"""Review and sign-off of decisions (拟办 → 审核 → 签发)."""
