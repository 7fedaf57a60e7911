"""The functional cases, one module per family (basic.py, net.py, ...).  A family module
defines CASES ({name: ftlib.Case}) and may define KMODS ({order name: [kernel module
paths under lib/modules/VERSION/kernel, without .ko, in load order]}); its guest side is
init.sh or a fragment NAME.sh here, which /init sources (see init.sh).  A new family is a
new module (and, for meson, a name in meson.build's functest_families)."""

import glob
import importlib
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def families():
    return sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, '*.py'))
                  if not p.endswith('__init__.py'))


def family(name):
    return importlib.import_module('cases.' + name)


def all_cases():
    """{case name: (family name, Case)} over every family; a name used twice is an error."""
    out = {}
    for fam in families():
        for name, case in family(fam).CASES.items():
            if name in out:
                raise SystemExit('functest: case %s is in %s and %s' % (name, out[name][0], fam))
            out[name] = (fam, case)
    return out


def module_orders():
    """{order name: [module paths]} over every family."""
    out = {}
    for fam in families():
        for name, mods in getattr(family(fam), 'KMODS', {}).items():
            if name in out:
                raise SystemExit('functest: module order %s is defined twice' % name)
            out[name] = list(mods)
    return out


def fragments():
    """The /init fragments (cases/*.sh)."""
    return sorted(glob.glob(os.path.join(HERE, '*.sh')))


def sources():
    return sorted(glob.glob(os.path.join(HERE, '*.py')))
