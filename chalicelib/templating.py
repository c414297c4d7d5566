"""The jinja2 environment: one configuration for rendering and for compiling templates when packaging.

In the Lambda package, `make package` (optimise-package, ops/lambda_package.py) has compiled every
template to a Python module with this configuration (and those modules to bytecode), so a new container
renders its first page without compiling a template: `environment()` loads them with a ModuleLoader.
Anywhere else (tests, the local stack) there are no compiled templates and the sources are compiled as read.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

# Beside app.py in the project, and at the top of the Lambda package through the vendor/templates symlink.
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
# Beside templates/, in the Lambda package only (written by optimise-package, never in the project).
COMPILED_TEMPLATES = "compiled_templates"
COMPILED_TEMPLATES_DIR = TEMPLATES_DIR.parent / COMPILED_TEMPLATES
ASSETS = "assets"  # templates/assets/ holds files served as they are (the reader's script): not templates


def configured(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """Autoescape everything; trimmed blocks; an undefined name is an error, never an empty string."""
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The compiled templates where the package has them, else the sources (compiled once per process)."""
    if COMPILED_TEMPLATES_DIR.is_dir():
        return configured(jinja2.ModuleLoader(str(COMPILED_TEMPLATES_DIR)))
    return configured(jinja2.FileSystemLoader(str(TEMPLATES_DIR)))


def template_names(templates_dir: Path = TEMPLATES_DIR) -> list[str]:
    """Every template's name, the pages' and what they include (a ModuleLoader cannot list what it holds)."""
    names = (p.relative_to(templates_dir).as_posix() for p in templates_dir.rglob("*") if p.is_file())
    return sorted(name for name in names if not name.startswith(f"{ASSETS}/"))


def compile_all(templates_dir: Path, target: Path) -> list[str]:
    """Compile every template in `templates_dir` to a module in `target` (the ModuleLoader's layout)."""
    names = template_names(templates_dir)
    env = configured(jinja2.FileSystemLoader(str(templates_dir)))
    env.compile_templates(str(target), zip=None, ignore_errors=False, filter_func=lambda name: name in names)
    return names
