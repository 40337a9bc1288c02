/** Field name → French message, as shown next to form fields and in the API envelope. */
export type FieldErrors = Record<string, string>;

/**
 * An error the app expects, thrown by domain code and handlers alike. It carries what went wrong
 * (a stable `code`, a French `message`, optional `fields`), never an HTTP status: the one table
 * {@link ERROR_STATUS} below, read by `onError` in `app.ts`, maps each class to its status, its JSON
 * envelope `{ error: { code, message, fields } }` and its DSFR page.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The HTTP status of this error, from {@link ERROR_STATUS} (for handlers that re-render a page). */
  get status(): ErrorStatus {
    return statusOf(this);
  }
}

export class BadRequest extends AppError {
  constructor(message = 'Requête invalide.', fields?: FieldErrors) {
    super('bad_request', message, fields);
  }
}
export class Unauthorized extends AppError {
  constructor(message = 'Vous devez être connecté·e.') {
    super('unauthorized', message);
  }
}
export class Forbidden extends AppError {
  constructor(message = 'Vous n’avez pas les droits pour cette action.') {
    super('forbidden', message);
  }
}
export class NotFound extends AppError {
  constructor(message = 'Ressource introuvable.') {
    super('not_found', message);
  }
}
export class Conflict extends AppError {
  constructor(message = 'Conflit : la ressource a changé entre-temps.', fields?: FieldErrors) {
    super('conflict', message, fields);
  }
}
export class ValidationError extends AppError {
  constructor(fields: FieldErrors, message = 'Certains champs sont invalides.') {
    super('validation_failed', message, fields);
  }
}
/**
 * A state change the record's current state does not allow (e.g. selecting a draft dossier): 422,
 * with `from` and `to` named in the message. Who may do an allowed change is a `Forbidden` (403).
 */
export class InvalidTransition extends AppError {
  constructor(
    message = 'Ce changement d’état n’est pas possible depuis l’état actuel.',
    fields?: FieldErrors,
  ) {
    super('invalid_transition', message, fields);
  }
}
export class TooManyRequests extends AppError {
  constructor(message = 'Trop de tentatives : réessayez dans quelques minutes.') {
    super('rate_limited', message);
  }
}
export class PayloadTooLarge extends AppError {
  constructor(message = 'Le contenu envoyé dépasse la taille maximale (1 Mo).') {
    super('payload_too_large', message);
  }
}
/** Storage faults (read-only database, full disk): writes are refused, reads keep working. */
export class ServiceUnavailable extends AppError {
  constructor(
    message = 'Le service est momentanément indisponible : vos informations n’ont pas pu être enregistrées. Réessayez dans quelques minutes.',
  ) {
    super('service_unavailable', message);
  }
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

/**
 * The one table from error class to HTTP status. A subclass not listed takes its nearest listed
 * ancestor's status; an unknown `AppError` is a 400.
 */
export const ERROR_STATUS: ReadonlyArray<
  readonly [abstract new (...args: never[]) => AppError, ErrorStatus]
> = [
  [BadRequest, 400],
  [Unauthorized, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [PayloadTooLarge, 413],
  [ValidationError, 422],
  [InvalidTransition, 422],
  [TooManyRequests, 429],
  [ServiceUnavailable, 503],
];

/** The HTTP status of an application error, from {@link ERROR_STATUS}. */
export function statusOf(error: AppError): ErrorStatus {
  for (const [type, status] of ERROR_STATUS) if (error instanceof type) return status;
  return 400;
}
