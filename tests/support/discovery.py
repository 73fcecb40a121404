"""Finding every form and serializer class of the project (for the tests that walk them all)."""

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings


def project_apps():
    """The apps of this repository; not the installed packages, even when the virtualenv sits in the checkout."""
    installed = Path(sys.prefix).resolve()
    return [config for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(Path(settings.BASE_DIR).resolve())
            and not Path(config.path).resolve().is_relative_to(installed)]


def project_roots() -> tuple[str, ...]:
    return tuple(config.name + "." for config in project_apps())


def import_project_modules() -> None:
    """Import every module of the project's apps (migrations and commands aside), so every class is defined."""
    for config in project_apps():
        package = importlib.import_module(config.name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)


def project_subclasses(base) -> set[type]:
    """Every concrete subclass of `base` defined in the project's apps (after `import_project_modules`)."""
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return {cls for cls in found if cls.__module__.startswith(project_roots()) and not inspect.isabstract(cls)}
