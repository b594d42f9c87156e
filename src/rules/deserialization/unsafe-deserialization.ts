import type { Confidence, Severity, TraceStep } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { DESERIALIZATION_SINKS } from '../data/deserialization-sinks.js';
import { readsFixedFile } from '../support/deserialization-fixed-file.js';

const SINKS = new Map(DESERIALIZATION_SINKS.map((row) => [row.call, row]));

export default createRule({
  id: 'unsafe-deserialization',
  meta: {
    title: 'Deserialization that can run code',
    category: 'deserialization',
    cwe: [502],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B301', 'B302'], ruff: ['S301', 'S302'] },
    messages: {
      codeExecution:
        '`{{fn}}` loads {{format}} {{provenance}}; a crafted payload runs arbitrary code while it is being loaded',
      marshal:
        '`{{fn}}` loads marshal data {{provenance}}; malformed input can crash the interpreter and the format is not meant for untrusted data',
    },
    docs: {
      why: 'Unpickling calls whatever callables the data names (`__reduce__`), so anyone who can write the bytes — a request body, a cookie, an uploaded file, a cache or queue shared with other services — runs code inside the process. dill, cloudpickle, joblib, shelve, jsonpickle, `pandas.read_pickle` and `numpy.load(allow_pickle=True)` are pickle underneath. marshal is documented as unsafe against malformed data.',
      example: 'import pickle\n\ndef restore_session(cookie_value: bytes):\n    return pickle.loads(cookie_value)',
      fix: 'Exchange data in a format that cannot describe code: JSON, MessagePack, protobuf; validate it into your own types. If pickle cannot be avoided (a private cache), authenticate the bytes with an HMAC under a secret key and verify it before loading, or load through a subclass of `pickle.Unpickler` whose `find_class` allows only the classes you expect (such subclasses are not reported).\n\n```python\nimport json\n\ndef restore_session(cookie_value: bytes):\n    return json.loads(cookie_value)\n```',
      knownProblems:
        "Severity and confidence follow where the data comes from: high when it flows from request data or another strong untrusted source (with the trace); medium severity for weaker sources such as file contents, the environment or the command line (with their trace) and for unknown origins; low confidence when a path written in the code is loaded (usually the application's own file, but worth a look if others can write to it). Loading a literal is never reported. Importing `pickle` alone is not reported (Bandit B403): the import is not the vulnerability, the loading call is. `jsonpickle.unpickler.Unpickler().restore(...)` is not followed.",
      references: [
        'https://docs.python.org/3/library/pickle.html#module-pickle',
        'https://docs.python.org/3/library/marshal.html',
        'https://cwe.mitre.org/data/definitions/502.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html#python',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      const sink = fn && SINKS.get(fn);
      if (!fn || !sink) return;
      if (sink.onlyWhenTrue && context.literalValue(context.keywordArgument(node, sink.onlyWhenTrue)) !== true) return;
      const input = context.argument(node, sink.position, sink.keyword);
      let provenance = 'from data of unknown origin';
      let severity: Severity = 'medium';
      let confidence: Confidence = 'medium';
      let trace: TraceStep[] | undefined;
      if (input) {
        const origin = context.origin(input, 'deserialization');
        if (origin.kind === 'sanitized') return;
        if (origin.kind === 'constant' && sink.input === 'bytes') return;
        if (origin.kind === 'source') {
          provenance = `from ${origin.source ?? 'untrusted input'}`;
          // Request data is a high-confidence source; file contents or the environment are not.
          if (origin.confidence === 'high') severity = 'high';
          confidence = origin.confidence;
          trace = origin.trace;
        } else if (readsFixedFile(input, context)) {
          provenance = 'from a file whose path is fixed in the code';
          confidence = 'low';
        }
      }
      const messageId = sink.format === 'marshal' ? 'marshal' : 'codeExecution';
      context.report({
        node,
        messageId,
        data: { fn, format: sink.format, provenance },
        severity,
        confidence,
        ...(trace ? { trace } : {}),
      });
    },
  },
  tests: {
    valid: [
      'import json\njson.loads(body)',
      'import pickle\npickle.dumps(obj)',
      'import pickle\npickle.loads(b"\\x80\\x04K\\x01.")',
      'import numpy as np\nnp.load(path)',
      'import numpy as np\nnp.load(path, allow_pickle=False)',
      'def loads(data):\n    return data\nloads(body)',
      'import pickle',
      'import io, pickle\nclass SafeUnpickler(pickle.Unpickler):\n    def find_class(self, module, name):\n        raise pickle.UnpicklingError(name)\nSafeUnpickler(io.BytesIO(blob)).load()',
    ],
    invalid: [
      {
        code: 'import pickle\ndef restore(path):\n    with open(path, "rb") as f:\n        return pickle.loads(f.read())',
        errors: [
          { messageId: 'codeExecution', line: 4, severity: 'medium', confidence: 'low', message: 'from file contents' },
        ],
      },
      {
        code: 'import pickle\nfrom flask import request\ndef restore():\n    blob = request.get_data()\n    return pickle.loads(blob)',
        errors: [
          {
            messageId: 'codeExecution',
            line: 5,
            severity: 'high',
            confidence: 'high',
            message: 'from request.get_data() (Flask)',
          },
        ],
      },
      {
        code: 'import pickle\ndef restore(blob):\n    return pickle.loads(blob)',
        errors: [
          {
            messageId: 'codeExecution',
            line: 3,
            severity: 'medium',
            confidence: 'medium',
            message: '`pickle.loads` loads pickle from data of unknown origin',
          },
        ],
      },
      {
        code: 'import cPickle as pickle\nobj = pickle.Unpickler(stream).load()',
        errors: [{ messageId: 'codeExecution', message: '`cPickle.Unpickler`' }],
      },
      {
        code: 'from dill import load\nwith open("state.pkl", "rb") as f:\n    state = load(f)',
        errors: [{ messageId: 'codeExecution', line: 3, confidence: 'low', message: 'fixed in the code' }],
      },
      {
        code: 'import shelve\ndb = shelve.open("cache.db")',
        errors: [{ messageId: 'codeExecution', confidence: 'low', message: 'shelve (pickle)' }],
      },
      {
        code: 'import pandas as pd\ndf = pd.read_pickle(uploaded)',
        errors: [{ messageId: 'codeExecution', confidence: 'medium' }],
      },
      {
        code: 'import numpy\nnumpy.load(upload, allow_pickle=True)',
        errors: [{ messageId: 'codeExecution', message: 'pickle (numpy)' }],
      },
      {
        code: 'import jsonpickle\njsonpickle.decode(payload)',
        errors: [{ messageId: 'codeExecution', message: 'jsonpickle' }],
      },
      { code: 'import marshal\ncode = marshal.loads(data)', errors: [{ messageId: 'marshal', line: 2 }] },
      {
        code: 'import pickle\npickle.load(open(cache_path, "rb"))',
        errors: [{ messageId: 'codeExecution', confidence: 'medium' }],
      },
    ],
  },
});
