/** Field name → French message, as shown next to form fields and in the API envelope. */
export type FieldErrors = Record<string, string>;

/** An error the app expects: mapped by the one error handler to a status and an envelope or page. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class BadRequest extends AppError {
  constructor(message = 'Requête invalide.', fields?: FieldErrors) {
    super(400, 'bad_request', message, fields);
  }
}
export class Unauthorized extends AppError {
  constructor(message = 'Vous devez être connecté·e.') {
    super(401, 'unauthorized', message);
  }
}
export class Forbidden extends AppError {
  constructor(message = 'Vous n’avez pas les droits pour cette action.') {
    super(403, 'forbidden', message);
  }
}
export class NotFound extends AppError {
  constructor(message = 'Ressource introuvable.') {
    super(404, 'not_found', message);
  }
}
export class Conflict extends AppError {
  constructor(message = 'Conflit : la ressource a changé entre-temps.', fields?: FieldErrors) {
    super(409, 'conflict', message, fields);
  }
}
export class ValidationError extends AppError {
  constructor(fields: FieldErrors, message = 'Certains champs sont invalides.') {
    super(422, 'validation_failed', message, fields);
  }
}
export class TooManyRequests extends AppError {
  constructor(message = 'Trop de tentatives : réessayez dans quelques minutes.') {
    super(429, 'rate_limited', message);
  }
}
/** The storage refuses writes (read-only file, full disk…): nothing was saved; retry later. */
export class ServiceUnavailable extends AppError {
  constructor(
    message = 'Le service est momentanément indisponible : vos informations n’ont pas pu être enregistrées. Réessayez dans quelques minutes.',
  ) {
    super(503, 'service_unavailable', message);
  }
}
