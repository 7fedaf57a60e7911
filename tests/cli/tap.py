"""TAP output for the tests/cli Python scripts: one numbered line per check, the
diagnostics of a failed check as comments, the plan and the exit status at the end."""
import sys

checks = 0
failures = 0


def check(cond, name, *diag):
    """Print 'ok N - NAME' or 'not ok N - NAME'; a failed check prints each line of each
    diagnostic after '# ' (a carriage return shown as \\r). Returns cond."""
    global checks, failures
    checks += 1
    print('%s %d - %s' % ('ok' if cond else 'not ok', checks, name))
    if not cond:
        failures += 1
        for d in diag:
            for line in str(d).splitlines() or ['']:
                print('# ' + line.replace('\r', '\\r'))
    sys.stdout.flush()
    return cond


def finish():
    """Print the plan and exit: status 1 if any check failed or none ran."""
    print('1..%d' % checks)
    sys.exit(1 if failures or not checks else 0)
