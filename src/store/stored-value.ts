/**
 * A journal field kept as JSON text, and turned into what the journal shows only when someone
 * reads it.
 *
 * Why: the journal records every request but is read far less often. Copying each body and each
 * answer into a bounded, redacted tree of objects at write time cost 10 to 15% of the gateway's
 * throughput (README, "Performance"): the copy itself, and a dozen more objects per entry for the
 * garbage collector to move and trace. Now the answer is kept as the JSON text that was sent
 * anyway, and a small request body as the text that came in; `read` (the HTTP layer's bounded,
 * redacting copy) runs when an entry is read. Text is also what the journal's log can write out
 * of V8's heap, as UTF-8 counted by its byte budget (store/journal-log.ts): a parsed object's size
 * is not known without walking it, and a few kilobytes of JSON can parse into ten times as many
 * bytes of objects. `toJSON` makes any serialisation of a stored entry show the value, never this
 * wrapper.
 */
export class StoredValue {
  private constructor(
    private readonly raw: string,
    /** Null: the text is already what is shown. */
    private readonly read: ((value: unknown) => unknown) | null,
  ) {}

  /** A value kept as its JSON text, shown as `read` makes it (a bounded, redacted copy, say). */
  static text(text: string, read: (value: unknown) => unknown): StoredValue {
    return new StoredValue(text, read);
  }

  /** A value kept as the JSON text of what is shown: read back as it is. */
  static shown(text: string): StoredValue {
    return new StoredValue(text, null);
  }

  /** The JSON text kept. */
  get text(): string {
    return this.raw;
  }

  /** What turns the parsed text into what is shown; null when the text is already that. */
  get reader(): ((value: unknown) => unknown) | null {
    return this.read;
  }

  value(): unknown {
    const parsed: unknown = JSON.parse(this.raw);
    return this.read === null ? parsed : this.read(parsed);
  }

  /** The JSON text of the value: the text kept, when it is already what is shown (no parse, no copy). */
  json(): string {
    return this.read === null ? this.raw : JSON.stringify(this.value());
  }

  toJSON(): unknown {
    return this.value();
  }
}

/** The value a journal field stands for. */
export function storedValue(value: unknown): unknown {
  return value instanceof StoredValue ? value.value() : value;
}
