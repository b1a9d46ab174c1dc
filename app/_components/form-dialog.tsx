'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

// In-page dialogs instead of window.prompt / window.confirm: a modal <dialog> (focus stays inside,
// Esc cancels) with labelled fields, asked for with `await dialog.ask(…)` where prompt() used to be.

export interface DialogField {
  name: string;
  label: string;
  defaultValue?: string;
  placeholder?: string;
  required?: boolean;
  /** A select instead of a text input. */
  options?: string[];
}

interface Request {
  title: string;
  message?: string;
  fields: DialogField[];
  confirmLabel: string;
  danger?: boolean;
  resolve: (values: Record<string, string> | null) => void;
}

export interface FormDialog {
  /** Shows the form; resolves with the values, or null when cancelled. */
  ask(opts: { title: string; message?: string; fields: DialogField[]; confirmLabel?: string }): Promise<Record<string, string> | null>;
  /** A yes/no question; resolves true only when confirmed. */
  confirm(opts: { title: string; message?: string; confirmLabel?: string; danger?: boolean }): Promise<boolean>;
  /** Render this once in the page. */
  element: ReactNode;
}

export function useFormDialog(): FormDialog {
  const [request, setRequest] = useState<Request | null>(null);
  const ask = useCallback<FormDialog['ask']>(
    (opts) => new Promise((resolve) => setRequest({ ...opts, confirmLabel: opts.confirmLabel ?? 'OK', resolve })),
    [],
  );
  const confirm = useCallback<FormDialog['confirm']>(
    (opts) =>
      new Promise((resolve) =>
        setRequest({ ...opts, fields: [], confirmLabel: opts.confirmLabel ?? 'OK', resolve: (v) => resolve(v !== null) }),
      ),
    [],
  );
  const close = (values: Record<string, string> | null) => {
    request?.resolve(values);
    setRequest(null);
  };
  return { ask, confirm, element: request ? <DialogView request={request} onClose={close} /> : null };
}

function DialogView({ request, onClose }: { request: Request; onClose: (values: Record<string, string> | null) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="form-dialog"
      data-testid="form-dialog"
      aria-labelledby="form-dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose(null);
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          onClose(Object.fromEntries(request.fields.map((f) => [f.name, String(data.get(f.name) ?? '')])));
        }}
      >
        <h2 id="form-dialog-title">{request.title}</h2>
        {request.message && <p className="muted">{request.message}</p>}
        {request.fields.map((f, i) => (
          <label key={f.name} className="field">
            <span>{f.label}</span>
            {f.options ? (
              <select name={f.name} defaultValue={f.defaultValue} autoFocus={i === 0}>
                {f.options.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            ) : (
              <input
                name={f.name}
                defaultValue={f.defaultValue}
                placeholder={f.placeholder}
                required={f.required}
                autoFocus={i === 0}
                data-testid={`dialog-field-${f.name}`}
              />
            )}
          </label>
        ))}
        <div className="row">
          <button type="submit" className={request.danger ? 'danger' : undefined} data-testid="dialog-confirm">
            {request.confirmLabel}
          </button>
          <button type="button" className="secondary" onClick={() => onClose(null)} data-testid="dialog-cancel">
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
