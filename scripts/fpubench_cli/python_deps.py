"""The Python packages reporting needs, checked where they are first used. They are Debian's
(python3-numpy, ...) and visible to /usr/bin/python3 only; on a fresh machine `setup` installs
them, so nothing that runs before set-up may import them."""
import importlib

from fpubench_cli.errors import UserError

DEBIAN_PACKAGE = {"numpy": "python3-numpy", "scipy": "python3-scipy", "matplotlib": "python3-matplotlib"}


def require(*modules):
    """Raises one UserError naming the first module that does not import and the package that has it."""
    importlib.invalidate_caches()  # set-up may have installed them since this process started
    for module in modules or DEBIAN_PACKAGE:
        try:
            importlib.import_module(module)
        except ImportError as e:
            package = DEBIAN_PACKAGE[module]
            raise UserError(f"the Python module {module} cannot be imported ({e}): it comes from Debian's "
                            f"{package}; run 'scripts/fpubench setup' as root (or apt-get install {package}) "
                            f"and run fpubench with /usr/bin/python3")
