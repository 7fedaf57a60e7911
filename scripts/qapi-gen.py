#!/usr/bin/env python3
"""Reads the QMP schema (qapi/*.json, QEMU's QAPI language) and writes the C
command table, the argument-checking type tables and the query-qmp-schema reply.

usage: qapi-gen.py SCHEMA OUT_DIR
"""
import json
import os
import re
import sys

BUILTINS = {
    # name: (C kind, introspection json-type)
    'int': ('QAPI_KIND_INT', 'int'),
    'int8': ('QAPI_KIND_INT8', 'int'),
    'int16': ('QAPI_KIND_INT16', 'int'),
    'int32': ('QAPI_KIND_INT32', 'int'),
    'int64': ('QAPI_KIND_INT', 'int'),
    'uint8': ('QAPI_KIND_UINT8', 'int'),
    'uint16': ('QAPI_KIND_UINT16', 'int'),
    'uint32': ('QAPI_KIND_UINT32', 'int'),
    'uint64': ('QAPI_KIND_UINT64', 'int'),
    'size': ('QAPI_KIND_SIZE', 'int'),
    'number': ('QAPI_KIND_NUMBER', 'number'),
    'str': ('QAPI_KIND_STR', 'string'),
    'bool': ('QAPI_KIND_BOOL', 'boolean'),
    'null': ('QAPI_KIND_NULL', 'null'),
    'any': ('QAPI_KIND_ANY', 'value'),
}

EMPTY = 'q_empty'


class SchemaError(Exception):
    pass


# ---- The schema language: JSON with single quotes and '#' comments --------

class Reader:
    def __init__(self, path):
        self.path = path
        with open(path, encoding='utf-8') as f:
            self.text = f.read()
        self.pos = 0
        self.line = 1

    def fail(self, msg):
        raise SchemaError('%s:%d: %s' % (self.path, self.line, msg))

    def skip(self):
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == '\n':
                self.line += 1
                self.pos += 1
            elif c in ' \t\r':
                self.pos += 1
            elif c == '#':
                end = self.text.find('\n', self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return c
        return None

    def value(self):
        c = self.skip()
        if c is None:
            self.fail('unexpected end of file')
        if c == "'":
            end = self.text.find("'", self.pos + 1)
            if end < 0 or '\n' in self.text[self.pos:end]:
                self.fail('unterminated string')
            s = self.text[self.pos + 1:end]
            self.pos = end + 1
            return s
        if c == '{':
            self.pos += 1
            d = {}
            if self.skip() == '}':
                self.pos += 1
                return d
            while True:
                key = self.value()
                if not isinstance(key, str):
                    self.fail('object keys must be strings')
                if key in d:
                    self.fail("duplicate key '%s'" % key)
                self.expect(':')
                d[key] = self.value()
                c = self.skip()
                self.pos += 1
                if c == '}':
                    return d
                if c != ',':
                    self.fail("expected ',' or '}'")
        if c == '[':
            self.pos += 1
            lst = []
            if self.skip() == ']':
                self.pos += 1
                return lst
            while True:
                lst.append(self.value())
                c = self.skip()
                self.pos += 1
                if c == ']':
                    return lst
                if c != ',':
                    self.fail("expected ',' or ']'")
        for word, val in (('true', True), ('false', False)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return val
        self.fail("unexpected character '%s'" % c)

    def expect(self, ch):
        if self.skip() != ch:
            self.fail("expected '%s'" % ch)
        self.pos += 1

    def expressions(self):
        while self.skip() is not None:
            if self.text[self.pos] != '{':
                self.fail('a top-level expression must be an object')
            yield self.line, self.value()


# ---- Entities -------------------------------------------------------------

class Type:
    def __init__(self, name, meta):
        self.name = name
        self.meta = meta  # builtin, enum, object, array, alternate
        self.values = []       # enum
        self.value_features = {}
        self.base = None       # object: name of the base type
        self.members = []      # object: [(name, type, optional, features)]
        self.tag = None        # union: discriminator member name
        self.variants = []     # union: [(case, type)]
        self.element = None    # array
        self.alternatives = []  # alternate: [(name, type)]
        self.features = []

    def flat_members(self, schema):
        base = schema.types[self.base].flat_members(schema) if self.base else []
        return base + self.members


class Schema:
    def __init__(self):
        self.types = {}
        self.commands = []  # dicts
        self.events = []
        self.entities = []  # commands and events in schema order
        for name in BUILTINS:
            self.types[name] = Type(name, 'builtin')
        self.types[EMPTY] = Type(EMPTY, 'object')

    def add_type(self, t, where):
        if t.name in self.types:
            raise SchemaError("%s: '%s' is defined twice" % (where, t.name))
        self.types[t.name] = t

    def type_ref(self, ref, where):
        """A member's type: 'T' or ['T'] (an array of T)."""
        if isinstance(ref, list):
            if len(ref) != 1 or not isinstance(ref[0], str):
                raise SchemaError('%s: an array type is one name in brackets' % where)
            name = ref[0] + 'List'
            if name not in self.types:
                t = Type(name, 'array')
                t.element = ref[0]
                self.types[name] = t
            return name
        if not isinstance(ref, str):
            raise SchemaError('%s: a type is a name or [name]' % where)
        return ref

    def members(self, data, where):
        out = []
        if not isinstance(data, dict):
            raise SchemaError('%s: members must be an object' % where)
        for key, ref in data.items():
            feats = []
            if isinstance(ref, dict):
                feats = ref.get('features', [])
                ref = ref['type']
            optional = key.startswith('*')
            out.append((key[1:] if optional else key, self.type_ref(ref, where),
                        optional, feats))
        return out

    def implicit(self, name, data, where):
        t = Type(name, 'object')
        t.members = self.members(data, where)
        self.add_type(t, where)
        return name

    def load(self, path, seen):
        path = os.path.normpath(path)
        if path in seen:
            return
        seen.add(path)
        reader = Reader(path)
        for line, expr in reader.expressions():
            where = '%s:%d' % (path, line)
            self.expression(expr, where, os.path.dirname(path), seen)

    def expression(self, expr, where, dirname, seen):
        if 'include' in expr:
            self.load(os.path.join(dirname, expr['include']), seen)
        elif 'pragma' in expr:
            pass
        elif 'enum' in expr:
            t = Type(expr['enum'], 'enum')
            for v in expr['data']:
                if isinstance(v, dict):
                    t.value_features[v['name']] = v.get('features', [])
                    v = v['name']
                t.values.append(v)
            t.features = expr.get('features', [])
            self.add_type(t, where)
        elif 'struct' in expr:
            t = Type(expr['struct'], 'object')
            t.members = self.members(expr.get('data', {}), where)
            t.base = expr.get('base')
            t.features = expr.get('features', [])
            self.add_type(t, where)
        elif 'union' in expr:
            t = Type(expr['union'], 'object')
            base = expr['base']
            if isinstance(base, dict):
                base = self.implicit('q_obj_%s-base' % t.name, base, where)
            t.base = base
            t.tag = expr['discriminator']
            t.variants = list(expr['data'].items())
            t.features = expr.get('features', [])
            self.add_type(t, where)
        elif 'alternate' in expr:
            t = Type(expr['alternate'], 'alternate')
            t.alternatives = [(k, self.type_ref(v, where)) for k, v in expr['data'].items()]
            self.add_type(t, where)
        elif 'command' in expr or 'event' in expr:
            kind = 'command' if 'command' in expr else 'event'
            name = expr[kind]
            data = expr.get('data')
            if isinstance(data, dict):
                data = self.implicit('q_obj_%s-arg' % name, data, where)
            ent = {'kind': kind, 'name': name, 'arg': data, 'where': where,
                   'features': expr.get('features', []),
                   'allow-oob': expr.get('allow-oob', False),
                   'allow-preconfig': expr.get('allow-preconfig', False),
                   'gen': expr.get('gen', True)}
            if kind == 'command':
                ret = expr.get('returns')
                ent['ret'] = self.type_ref(ret, where) if ret is not None else None
                self.commands.append(ent)
            else:
                self.events.append(ent)
            self.entities.append(ent)
        else:
            raise SchemaError('%s: unknown expression %s' % (where, list(expr)))

    def check(self):
        for t in list(self.types.values()):
            where = "type '%s'" % t.name
            refs = [m[1] for m in t.members] + [v[1] for v in t.variants]
            refs += [a[1] for a in t.alternatives]
            if t.element:
                refs.append(t.element)
            if t.base:
                refs.append(t.base)
            for r in refs:
                if r not in self.types:
                    raise SchemaError("%s uses unknown type '%s'" % (where, r))
            if t.tag:
                members = dict((m[0], m[1]) for m in t.flat_members(self))
                tag_type = self.types.get(members.get(t.tag))
                if not tag_type or tag_type.meta != 'enum':
                    raise SchemaError('%s: the discriminator must be an enum member' % where)
                for case, _ in t.variants:
                    if case not in tag_type.values:
                        raise SchemaError("%s: '%s' is not a value of %s" % (where, case, tag_type.name))
                # Cases the union does not list carry no members.
                listed = [c for c, _ in t.variants]
                t.variants = [(v, dict(t.variants)[v] if v in listed else EMPTY)
                              for v in tag_type.values]
        for e in self.entities:
            for key in ('arg', 'ret'):
                if e.get(key) and e[key] not in self.types:
                    raise SchemaError("%s: unknown type '%s'" % (e['where'], e[key]))
            if e['arg'] and self.types[e['arg']].meta != 'object':
                raise SchemaError("%s: arguments must be an object type" % e['where'])


def c_name(name):
    return re.sub(r'[^A-Za-z0-9_]', '_', name)


# ---- Introspection (QEMU's SchemaInfo, type names masked as numbers) ------

KEY_ORDER = ['name', 'case', 'tag', 'variants', 'element-type', 'json-type', 'ret-type',
             'allow-oob', 'members', 'default', 'type', 'meta-type', 'arg-type', 'values',
             'features']


def ordered(d):
    """QEMU prints these dictionaries in its hash order; this is that order."""
    return dict((k, d[k]) for k in sorted(d, key=KEY_ORDER.index))


class Introspection:
    def __init__(self, schema):
        self.schema = schema
        self.names = {}
        self.used = []
        self.trees = []

    def mask(self, name):
        if name not in self.names:
            self.names[name] = str(len(self.names))
        return self.names[name]

    def use(self, name):
        t = self.schema.types[name]
        # Every integer type is shown as 'int'.
        if t.meta == 'builtin' and BUILTINS[name][1] == 'int':
            t = self.schema.types['int']
        elif t.meta == 'array':
            el = self.schema.types[t.element]
            if el.meta == 'builtin' and BUILTINS[el.name][1] == 'int':
                t = self.schema.types['intList']
        if t not in self.used:
            self.used.append(t)
        if t.meta == 'builtin':
            return t.name
        if t.meta == 'array':
            return '[' + self.use(t.element) + ']'
        return self.mask(t.name)

    def tree(self, obj, features=None):
        if features:
            obj['features'] = list(features)
        self.trees.append(ordered(obj))

    def member(self, m):
        name, typ, optional, feats = m
        obj = {'name': name, 'type': self.use(typ)}
        if optional:
            obj['default'] = None
        if feats:
            obj['features'] = list(feats)
        return ordered(obj)

    def type_tree(self, t):
        if t.meta == 'builtin':
            self.tree({'name': t.name, 'meta-type': 'builtin', 'json-type': BUILTINS[t.name][1]})
        elif t.meta == 'array':
            el = self.use(t.element)
            self.tree({'name': '[' + el + ']', 'meta-type': 'array', 'element-type': el})
        elif t.meta == 'enum':
            members = []
            for v in t.values:
                m = {'name': v}
                if t.value_features.get(v):
                    m['features'] = list(t.value_features[v])
                members.append(ordered(m))
            self.tree({'name': self.mask(t.name), 'meta-type': 'enum', 'members': members,
                       'values': list(t.values)}, t.features)
        elif t.meta == 'alternate':
            self.tree({'name': self.mask(t.name), 'meta-type': 'alternate',
                       'members': [{'type': self.use(a[1])} for a in t.alternatives]})
        else:
            obj = {'name': self.mask(t.name), 'meta-type': 'object',
                   'members': [self.member(m) for m in t.flat_members(self.schema)]}
            if t.tag:
                obj['tag'] = t.tag
                obj['variants'] = [ordered({'case': c, 'type': self.use(v)})
                                   for c, v in t.variants]
            self.tree(obj, t.features)

    def build(self):
        if 'intList' not in self.schema.types:
            self.schema.type_ref(['int'], 'introspection')
        for e in self.schema.entities:
            obj = {'name': e['name'], 'meta-type': e['kind'],
                   'arg-type': self.use(e['arg'] or EMPTY)}
            if e['kind'] == 'command':
                obj['ret-type'] = self.use(e['ret'] or EMPTY)
                if e['allow-oob']:
                    obj['allow-oob'] = True
            self.tree(obj, e['features'])
        i = 0
        while i < len(self.used):
            self.type_tree(self.used[i])
            i += 1
        return self.trees


# ---- C output -------------------------------------------------------------

def c_string(s):
    out = '"'
    for ch in s:
        if ch in '"\\':
            out += '\\' + ch
        elif ' ' <= ch <= '~':
            out += ch
        else:
            out += '\\%03o' % ord(ch)
    return out + '"'


def type_var(name):
    return 'qapi_type_' + c_name(name)


def arg_types(schema):
    """The types command and event arguments use: the ones checks need."""
    todo = [e['arg'] for e in schema.entities if e['arg']]
    seen = []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)
        t = schema.types[name]
        todo += [m[1] for m in t.flat_members(schema)] + [v[1] for v in t.variants]
        todo += [a[1] for a in t.alternatives] + ([t.element] if t.element else [])
    return [t for t in schema.types.values() if t.name in seen]


def gen_types(schema):
    out = []
    types = arg_types(schema)
    for t in types:
        out.append('static const QapiType %s;' % type_var(t.name))
    out.append('')
    for t in types:
        v = type_var(t.name)
        fields = ['.name = %s' % c_string(t.name)]
        if t.meta == 'builtin':
            fields.append('.kind = %s' % BUILTINS[t.name][0])
        elif t.meta == 'enum':
            out.append('static const char *const %s_values[] = { %s, NULL };' %
                       (v, ', '.join(c_string(x) for x in t.values)))
            fields += ['.kind = QAPI_KIND_ENUM', '.values = %s_values' % v]
        elif t.meta == 'array':
            fields += ['.kind = QAPI_KIND_ARRAY', '.element = &%s' % type_var(t.element)]
        elif t.meta == 'alternate':
            out.append('static const QapiType *const %s_alts[] = { %s };' %
                       (v, ', '.join('&' + type_var(a[1]) for a in t.alternatives)))
            fields += ['.kind = QAPI_KIND_ALTERNATE', '.alternatives = %s_alts' % v,
                       '.n_alternatives = %d' % len(t.alternatives)]
        else:
            members = t.flat_members(schema)
            fields.append('.kind = QAPI_KIND_OBJECT')
            if members:
                out.append('static const QapiMember %s_members[] = {' % v)
                for name, typ, optional, _ in members:
                    out.append('    { %s, &%s, %s },' % (c_string(name), type_var(typ),
                                                         'true' if optional else 'false'))
                out.append('};')
                fields += ['.members = %s_members' % v, '.n_members = %d' % len(members)]
            if t.tag:
                out.append('static const QapiVariant %s_variants[] = {' % v)
                for case, typ in t.variants:
                    out.append('    { %s, &%s },' % (c_string(case), type_var(typ)))
                out.append('};')
                fields += ['.tag = %s' % c_string(t.tag), '.variants = %s_variants' % v,
                           '.n_variants = %d' % len(t.variants)]
        out.append('static const QapiType %s = {' % v)
        out += ['    %s,' % f for f in fields]
        out.append('};')
    return out


def gen(schema, outdir, schema_json):
    h = ['/* Generated by scripts/qapi-gen.py from the qapi/ schema: do not edit. */',
         '#ifndef QAPI_QAPI_COMMANDS_H', '#define QAPI_QAPI_COMMANDS_H', '',
         '#include "qapi/qmp.h"', '']
    for c in schema.commands:
        h.append('JsonNode *qmp_%s(JsonObject *args, QmpError *err);' % c_name(c['name']))
    h += ['', '#endif', '']
    c = ['/* Generated by scripts/qapi-gen.py from the qapi/ schema: do not edit. */',
         '#include "qapi/qapi-commands.h"', '']
    c += gen_types(schema)
    c += ['', 'const QmpCommand qmp_command_table[] = {']
    for cmd in schema.commands:
        flags = []
        if cmd['allow-oob']:
            flags.append('QMP_CMD_ALLOW_OOB')
        if cmd['allow-preconfig']:
            flags.append('QMP_CMD_ALLOW_PRECONFIG')
        if not cmd['gen']:
            flags.append('QMP_CMD_NO_VALIDATE')
        arg = '&' + type_var(cmd['arg']) if cmd['arg'] else 'NULL'
        c.append('    { %s, %s, qmp_%s, %s },' % (c_string(cmd['name']), arg,
                                                  c_name(cmd['name']),
                                                  ' | '.join(flags) or '0'))
    c += ['};', 'const size_t qmp_command_count = %d;' % len(schema.commands), '']
    c.append('const QapiEvent qapi_event_table[] = {')
    for ev in schema.events:
        arg = '&' + type_var(ev['arg']) if ev['arg'] else 'NULL'
        c.append('    { %s, %s },' % (c_string(ev['name']), arg))
    c += ['};', 'const size_t qapi_event_count = %d;' % len(schema.events), '']
    c.append('const char qmp_schema_json[] =')
    for i in range(0, len(schema_json), 100):
        c.append('    ' + c_string(schema_json[i:i + 100]))
    c += ['    ;', '']
    write(os.path.join(outdir, 'qapi-commands.h'), '\n'.join(h))
    write(os.path.join(outdir, 'qapi-commands.c'), '\n'.join(c))


def write(path, text):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: qapi-gen.py SCHEMA OUT_DIR')
    schema = Schema()
    try:
        schema.load(sys.argv[1], set())
        schema.check()
    except SchemaError as e:
        sys.exit('qapi-gen: %s' % e)
    trees = Introspection(schema).build()
    text = json.dumps(trees, separators=(', ', ': '))
    gen(schema, sys.argv[2], text)


if __name__ == '__main__':
    main()
