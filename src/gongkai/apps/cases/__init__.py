"""依申请公开: the registry of disclosure applications (条例 Art. 29–39)."""
