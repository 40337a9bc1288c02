import { Alert, PostButton } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { ErrorSummary } from '../../lib/forms.tsx';
import {
  ATTACHMENT_ACCEPT,
  ATTACHMENT_HINT,
  ATTACHMENT_TYPES,
  type AttachmentType,
  formatSize,
  MAX_PIECES_PER_DOSSIER,
} from './attachment-files.ts';
import type { AttachmentRow } from './attachments.ts';
import { parisDateTime } from './summary.tsx';

/** The download URL of a dossier's file (a piece or a message's): the same rights either way. */
export const attachmentUrl = (applicationId: number, attachmentId: number) =>
  `/ami/dossiers/${applicationId}/pieces/${attachmentId}`;

export const typeLabel = (contentType: string) =>
  ATTACHMENT_TYPES[contentType as AttachmentType]?.label ?? contentType;

/** A DSFR file input (`name="file"`), with its hint and error wired for screen readers. */
export function UploadField({
  label,
  error,
  required,
  id = 'champ-file',
}: {
  label: string;
  error?: string | undefined;
  required?: boolean;
  id?: string;
}) {
  return (
    <div class={`fr-upload-group fr-mb-3w${error ? ' fr-upload-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        {label}
        {required ? ' (obligatoire)' : ''}
        <span class="fr-hint-text" id={`${id}-aide`}>
          {ATTACHMENT_HINT}
        </span>
      </label>
      <input
        class="fr-upload"
        type="file"
        id={id}
        name="file"
        accept={ATTACHMENT_ACCEPT}
        required={required}
        aria-describedby={`${id}-aide${error ? ` ${id}-erreur` : ''}`}
        aria-invalid={error ? 'true' : undefined}
      />
      {error && (
        <p class="fr-error-text" id={`${id}-erreur`}>
          {error}
        </p>
      )}
    </div>
  );
}

const PIECE_NOTICES: Record<string, string> = {
  'piece-ajoutee': 'La pièce est jointe au dossier.',
  'piece-retiree': 'La pièce est retirée du dossier.',
};

/**
 * The section « pièces jointes » of a dossier: its files (download links, size, date), a remove
 * button and an upload form while the section is editable (`editable`), messages from the last
 * upload (`errors`, `notice` from `?avis=`).
 */
export function PiecesSection({
  applicationId,
  pieces,
  editable,
  applicant,
  errors = {},
  notice,
}: {
  applicationId: number;
  pieces: readonly AttachmentRow[];
  editable: boolean;
  /** The viewer is a member of the lead organisation (told why the pieces are closed). */
  applicant: boolean;
  errors?: FieldErrors;
  notice?: string | undefined;
}) {
  const full = pieces.length >= MAX_PIECES_PER_DOSSIER;
  const message = notice ? PIECE_NOTICES[notice] : undefined;
  return (
    <section aria-labelledby="pieces-titre" id="pieces">
      <h2 id="pieces-titre">Pièces jointes ({pieces.length})</h2>
      {message && <Alert type="success" small title={message} />}
      <ErrorSummary errors={errors} />
      {pieces.length === 0 ? (
        <p>Aucune pièce jointe pour l’instant (statuts, budget prévisionnel, lettres d’engagement…).</p>
      ) : (
        <ul class="fr-raw-list fr-mb-3w">
          {pieces.map((piece) => (
            <li class="fr-mb-2w">
              <p class="fr-mb-1v">
                <a
                  class="fr-link fr-icon-download-line fr-link--icon-left"
                  href={attachmentUrl(applicationId, piece.id)}
                >
                  {piece.name}
                </a>
              </p>
              <p class="fr-hint-text fr-mb-1w">
                {typeLabel(piece.contentType)} · {formatSize(piece.size)} · ajoutée le{' '}
                <time datetime={piece.createdAt}>{parisDateTime(piece.createdAt)}</time>
              </p>
              {editable && (
                <PostButton
                  action={`/ami/dossiers/${applicationId}/pieces/${piece.id}/supprimer`}
                  label="Retirer"
                  hidden={`la pièce ${piece.name}`}
                  icon="fr-icon-delete-line"
                  secondary
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {editable &&
        (full ? (
          <p class="fr-hint-text">
            Ce dossier compte déjà {MAX_PIECES_PER_DOSSIER} pièces : retirez-en une pour en ajouter une autre.
          </p>
        ) : (
          <form method="post" action={`/ami/dossiers/${applicationId}/pieces`} enctype="multipart/form-data">
            <UploadField label="Ajouter une pièce" error={errors.file} required />
            <button type="submit" class="fr-btn fr-icon-upload-line fr-btn--icon-left">
              Joindre la pièce
            </button>
          </form>
        ))}
      {!editable && applicant && (
        <p class="fr-hint-text">
          Les pièces ne sont plus modifiables : le dossier est déposé (seules les sections rouvertes par
          l’instruction le sont).
        </p>
      )}
    </section>
  );
}
