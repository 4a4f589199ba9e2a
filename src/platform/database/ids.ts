/** The canonical UUID shape (any version) without anchors, for patterns that embed it (e.g. "`me` or a user id"). */
export const UUID_SHAPE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A canonical UUID (any version), the shape of every record id. */
export const UUID_PATTERN = new RegExp(`^${UUID_SHAPE}$`, 'i');

/** Whether `value` is a UUID (checked before an id reaches a `uuid` column, where a bad one would fail the statement). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);
