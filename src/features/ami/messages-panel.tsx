import { Paragraphs } from '../../lib/directory/views.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { ErrorSummary, InputField } from '../../lib/forms.tsx';
import { formatSize } from './attachment-files.ts';
import { attachmentUrl, typeLabel, UploadField } from './attachment-views.tsx';
import { type DossierMessage, MESSAGE_MAX_LENGTH } from './messages.ts';
import { parisDateTime } from './summary.tsx';

/** Where a panel's form posts: the applicant's route or the staff's (both redirect back to their page). */
export const messagesAction = (applicationId: number, side: 'applicant' | 'staff') =>
  side === 'staff'
    ? `/instruction/dossiers/${applicationId}/messages`
    : `/ami/dossiers/${applicationId}/messages`;

export interface DossierMessagesProps {
  applicationId: number;
  /** From `listDossierMessages(db, applicationId)`, oldest first. */
  messages: readonly DossierMessage[];
  /**
   * Who reads the panel, from `messageSide(rights, application)` (messages.ts): `applicant` or
   * `staff` show the form posting to their route; null shows the messages only (a draft: the
   * applicant writes once the dossier is submitted).
   */
  side: 'applicant' | 'staff' | null;
  /** The previous submission's errors and text (the messages page after a 422), if any. */
  errors?: FieldErrors | undefined;
  body?: string | undefined;
  /** Heading level of the panel's title (2 on its own page or a dossier page's section). */
  headingLevel?: 2 | 3;
}

/**
 * The messages of a dossier between its applicant and staff, oldest first: author (and « Équipe
 * d’instruction » for staff), Paris time, the text with its line breaks, attached files; then a
 * form to write, with an optional file (multipart, works without JavaScript). Rendered by the
 * applicant's dossier page (/ami/dossiers/:id), the staff's (/instruction/dossiers/:id) and the
 * messages pages of this feature.
 */
export function DossierMessages({
  applicationId,
  messages,
  side,
  errors = {},
  body,
  headingLevel = 2,
}: DossierMessagesProps) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const H2 = headingLevel === 2 ? 'h3' : 'h4';
  // The file field is `champ-message-file` (a dossier page may also hold the pieces' `champ-file`).
  const { file: fileError, ...otherErrors } = errors;
  const summary = fileError ? { ...otherErrors, 'message-file': fileError } : otherErrors;
  return (
    <section aria-labelledby="messages-titre" id="messages" class="fr-mb-4w">
      <H id="messages-titre">Messages ({messages.length})</H>
      {messages.length === 0 ? (
        <p>
          Aucun message pour l’instant.{' '}
          {side === 'applicant'
            ? 'Écrivez à l’équipe d’instruction pour toute question sur votre dossier.'
            : side === 'staff'
              ? 'Écrivez au porteur : chaque membre de l’organisation porteuse reçoit le message par courriel.'
              : ''}
        </p>
      ) : (
        <ol class="fr-raw-list">
          {messages.map((m) => (
            <li class="fr-mb-3w">
              <article class="fr-p-2w ami-message" aria-labelledby={`message-${m.id}`}>
                <H2 class="fr-text--md fr-mb-1w" id={`message-${m.id}`}>
                  {m.authorName}
                  {m.fromStaff && (
                    <span class="fr-badge fr-badge--sm fr-badge--info fr-ml-1w">Équipe d’instruction</span>
                  )}
                </H2>
                <p class="fr-hint-text fr-mb-1w">
                  <time datetime={m.createdAt}>{parisDateTime(m.createdAt)}</time>
                </p>
                <Paragraphs text={m.body} />
                {m.attachments.length > 0 && (
                  <ul class="fr-raw-list">
                    {m.attachments.map((f) => (
                      <li>
                        <a
                          class="fr-link fr-icon-attachment-line fr-link--icon-left"
                          href={attachmentUrl(applicationId, f.id)}
                        >
                          {f.name}
                        </a>{' '}
                        <span class="fr-hint-text">
                          ({typeLabel(f.contentType)}, {formatSize(f.size)})
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </article>
            </li>
          ))}
        </ol>
      )}
      {side && (
        <form method="post" action={messagesAction(applicationId, side)} enctype="multipart/form-data">
          <ErrorSummary errors={summary} />
          <InputField
            name="body"
            label={side === 'staff' ? 'Écrire au porteur' : 'Écrire à l’équipe d’instruction'}
            hint={`${MESSAGE_MAX_LENGTH.toLocaleString('fr-FR')} caractères au plus.`}
            multiline
            required
            maxlength={MESSAGE_MAX_LENGTH}
            value={body}
            error={errors.body}
          />
          <UploadField label="Joindre un fichier (facultatif)" error={fileError} id="champ-message-file" />
          <button type="submit" class="fr-btn fr-icon-send-plane-line fr-btn--icon-left">
            Envoyer le message
          </button>
        </form>
      )}
    </section>
  );
}
