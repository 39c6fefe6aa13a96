"""Demo data: each module adds its own loader to DEMO_LOADERS; `manage.py load_demo_data`
runs them in order. Every loader is idempotent and returns the demo accounts it made."""

from dataclasses import dataclass, field

from django.utils.module_loading import import_string

DEMO_LOADERS = [
    "enfance.accounts.demo.load",
    "enfance.assemblies.demo.load",
    "enfance.events.demo.load",
    "enfance.proposals.demo.load",
    "enfance.interpellations.demo.load",
    "enfance.petitions.demo.load",
    "enfance.practices.demo.load",
    "enfance.texts.demo.load",
    "enfance.care.demo.load",
    "enfance.care.cooperative_demo.load",
    "enfance.care.village_demo.load",
    "enfance.measures.demo.load",
    "enfance.inspections.demo.load",
    "enfance.support.demo.load",
    "enfance.strategy.demo.load",
]

DEMO_PASSWORD = "demo-enfance-2026"  # noqa: S105 - local demo accounts only, refused in production


@dataclass
class DemoAccount:
    email: str
    label: str
    totp_secret: str = ""


@dataclass
class DemoReport:
    accounts: list[DemoAccount] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def load_all() -> DemoReport:
    report = DemoReport()
    for path in DEMO_LOADERS:
        import_string(path)(report)
    return report
