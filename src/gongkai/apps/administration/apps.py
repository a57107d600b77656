from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "gongkai.apps.administration"
    label = "administration"
    verbose_name = "管理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # At login the session learns whether the password must be changed first (middleware.py).
        from django.contrib.auth.signals import user_logged_in

        from .middleware import remember_password_flag

        user_logged_in.connect(remember_password_flag, dispatch_uid="gongkai.administration.password_flag")
