/**
 * Calls that rebuild arbitrary Python objects from bytes (pickle and the formats built on it,
 * marshal), with where the data or file is passed. Blocklist rows, as in Bandit B301/B302.
 */
export interface DeserializationSinkRow {
  /** Qualified name of the call. */
  call: string;
  /** The format, for the message. */
  format: string;
  /** Where the serialized data, file or path is passed. */
  position: number;
  keyword: string;
  /** `bytes` when the argument is the serialized data itself, `file` for a file object or path. */
  input: 'bytes' | 'file';
  /** The sink is only unsafe when this keyword is passed a true value (`numpy.load(allow_pickle=True)`). */
  onlyWhenTrue?: string;
  bandit?: string;
}

const PICKLE_MODULES = ['pickle', 'cPickle', '_pickle', 'dill', 'cloudpickle'];

export const DESERIALIZATION_SINKS: readonly DeserializationSinkRow[] = [
  ...PICKLE_MODULES.flatMap((module): DeserializationSinkRow[] => [
    { call: `${module}.loads`, format: 'pickle', position: 0, input: 'bytes', keyword: 'data', bandit: 'B301' },
    { call: `${module}.load`, format: 'pickle', position: 0, input: 'file', keyword: 'file', bandit: 'B301' },
    { call: `${module}.Unpickler`, format: 'pickle', position: 0, input: 'file', keyword: 'file', bandit: 'B301' },
  ]),
  { call: 'shelve.open', format: 'shelve (pickle)', position: 0, input: 'file', keyword: 'filename', bandit: 'B301' },
  {
    call: 'shelve.DbfilenameShelf',
    format: 'shelve (pickle)',
    position: 0,
    input: 'file',
    keyword: 'filename',
    bandit: 'B301',
  },
  { call: 'jsonpickle.decode', format: 'jsonpickle', position: 0, input: 'bytes', keyword: 'string', bandit: 'B301' },
  {
    call: 'jsonpickle.unpickler.decode',
    format: 'jsonpickle',
    position: 0,
    input: 'bytes',
    keyword: 'string',
    bandit: 'B301',
  },
  { call: 'jsonpickle.loads', format: 'jsonpickle', position: 0, input: 'bytes', keyword: 'string', bandit: 'B301' },
  {
    call: 'pandas.read_pickle',
    format: 'pickle',
    position: 0,
    input: 'file',
    keyword: 'filepath_or_buffer',
    bandit: 'B301',
  },
  { call: 'joblib.load', format: 'joblib (pickle)', position: 0, input: 'file', keyword: 'filename' },
  {
    call: 'numpy.load',
    format: 'pickle (numpy)',
    position: 0,
    input: 'file',
    keyword: 'file',
    onlyWhenTrue: 'allow_pickle',
  },
  { call: 'marshal.loads', format: 'marshal', position: 0, input: 'bytes', keyword: 'bytes', bandit: 'B302' },
  { call: 'marshal.load', format: 'marshal', position: 0, input: 'file', keyword: 'file', bandit: 'B302' },
];
