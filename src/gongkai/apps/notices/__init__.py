"""In-app notifications (站内通知) for staff, beside the reminder e-mails."""
