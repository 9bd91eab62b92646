from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partner organisations")

    def ready(self) -> None:
        from accounts.signals import user_erased
        from partners.services.membership import end_memberships_of_erased_user

        user_erased.connect(end_memberships_of_erased_user, dispatch_uid="partners")
