import { useState } from 'react';

interface ConfirmButtonProps {
  /** What the first click offers, e.g. "Delete mosaic". */
  label: string;
  /** What the second click confirms, e.g. "Delete Moscow 2023 and its 3 images". */
  confirmLabel: string;
  busy: boolean;
  onConfirm(): void;
}

/** An irreversible action in two clicks: the first arms it, the second does it ("Keep" disarms). */
export function ConfirmButton({ label, confirmLabel, busy, onConfirm }: ConfirmButtonProps) {
  const [armed, setArmed] = useState(false);
  if (!armed) {
    return (
      <button type="button" className="danger" onClick={() => setArmed(true)} disabled={busy}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button type="button" className="danger armed" onClick={onConfirm} disabled={busy}>
        {confirmLabel}
      </button>
      <button type="button" className="small" onClick={() => setArmed(false)} disabled={busy}>
        Keep
      </button>
    </span>
  );
}
