"""The demo accounts: one for every role, with the passwords printed by ``load_demo``."""

from dataclasses import dataclass

from capacityhub.accounts.choices import Role
from capacityhub.accounts.models import User
from capacityhub.accounts.services import role_assign


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    name: str
    language: str = "en"
    roles: tuple = ()  # (role, country iso2 or None, organization key or None)
    superuser: bool = False

    @property
    def email(self):
        return "{}@example.org".format(self.username)

    def describe(self):
        if self.superuser:
            return "administrator (Secretariat), superuser"
        if not self.roles:
            return "registered user, no role"
        labels = {
            Role.ADMINISTRATOR: "administrator (Secretariat)",
            Role.FOCAL_POINT: "national focal point",
            Role.AUTHORIZED_USER: "national authorized user",
            Role.ORG_PUBLISHER: "organization publisher",
            Role.MODERATOR: "conference moderator",
        }
        return "; ".join(
            "{}{}".format(labels[role], ", {}".format(iso2 or (org or "").upper()) if iso2 or org else "")
            for role, iso2, org in self.roles
        )


def _national_accounts(iso2, country_name, language):
    lower = iso2.lower()
    focal = Account(
        "demo-focal-{}".format(lower),
        "demo",
        "Demo Focal Point ({})".format(country_name),
        language,
        ((Role.FOCAL_POINT, iso2, None),),
    )
    user = Account(
        "demo-user-{}".format(lower),
        "demo",
        "Demo Authorized User ({})".format(country_name),
        language,
        ((Role.AUTHORIZED_USER, iso2, None),),
    )
    return [focal, user]


ACCOUNTS = [
    Account(
        "admin",
        "admin",
        "Demo Administrator (Secretariat)",
        roles=((Role.ADMINISTRATOR, None, None),),
        superuser=True,
    ),
    *_national_accounts("KE", "Kenya", "en"),
    *_national_accounts("CO", "Colombia", "es"),
    *_national_accounts("SN", "Senegal", "fr"),
    *_national_accounts("VN", "Viet Nam", "en"),
    Account(
        "demo-publisher-unep", "demo", "Demo Publisher (UNEP)", roles=((Role.ORG_PUBLISHER, None, "unep"),)
    ),
    Account("demo-publisher-fao", "demo", "Demo Publisher (FAO)", roles=((Role.ORG_PUBLISHER, None, "fao"),)),
    Account("demo-moderator", "demo", "Demo Moderator", roles=((Role.MODERATOR, None, None),)),
    Account("demo-participant", "demo", "Demo Participant"),
]


class AccountsMixin:
    """Creates the demo accounts (never changes an existing one's password) and grants their roles."""

    def ensure_accounts(self):
        """Create the demo accounts that are missing and grant their roles; return the rows to print."""
        rows = []
        for account in ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            password = None
            if user is None:
                user = User(
                    username=account.username,
                    email=account.email,
                    name=account.name,
                    preferred_language=account.language,
                    is_staff=account.superuser,
                    is_superuser=account.superuser,
                )
                user.set_password(account.password)
                user.save()
                password = account.password
            for role, iso2, org_key in account.roles:
                organization = self.orgs.get(org_key) if org_key else None
                if org_key and organization is None:
                    continue
                country = self.countries.get(iso2) if iso2 else None
                role_assign(user=user, role=role, country=country, organization=organization)
            self.users[account.username] = user
            rows.append((account.username, password, account.describe()))
        return rows
