/**
 * A journal field kept as it came, and turned into what the journal shows only when someone
 * reads it.
 *
 * Why: the journal records every request but is read far less often. Copying each body and each
 * answer into a bounded, redacted tree of objects at write time cost 10 to 15% of the gateway's
 * throughput (README, "Performance"): the copy itself, and a dozen more objects per entry for the
 * garbage collector to move and trace. Now the answer is kept as the JSON text that was sent
 * anyway, and a small request body as the object already parsed; `read` (the HTTP layer's bounded,
 * redacting copy) runs when an entry is read. `toJSON` makes any serialisation of a stored entry
 * show the value, never this wrapper.
 */
export class StoredValue {
  private constructor(
    private readonly raw: unknown,
    private readonly isText: boolean,
    private readonly read: (value: unknown) => unknown,
  ) {}

  /** A value kept as its JSON text. */
  static text(text: string, read: (value: unknown) => unknown): StoredValue {
    return new StoredValue(text, true, read);
  }

  /** A value kept as it is: the caller hands it over and no longer changes it. */
  static value(value: unknown, read: (value: unknown) => unknown): StoredValue {
    return new StoredValue(value, false, read);
  }

  value(): unknown {
    return this.read(this.isText ? JSON.parse(this.raw as string) : this.raw);
  }

  toJSON(): unknown {
    return this.value();
  }
}

/** The value a journal field stands for. */
export function storedValue(value: unknown): unknown {
  return value instanceof StoredValue ? value.value() : value;
}
