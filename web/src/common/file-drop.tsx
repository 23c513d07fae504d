import { useId, useState, type DragEvent } from 'react';

interface FileDropProps {
  /** What to drop, e.g. "Drop a GeoTIFF here". */
  label: string;
  /** The file picker's filter, e.g. ".tif,.tiff". */
  accept: string;
  disabled?: boolean;
  onFile(file: File): void;
}

/** A drop zone for one file, with a file picker for those who do not drag. */
export function FileDrop({ label, accept, disabled = false, onFile }: FileDropProps) {
  const inputId = useId();
  const [over, setOver] = useState(false);
  function dropped(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  }
  return (
    <div
      className={over ? 'file-drop over' : 'file-drop'}
      data-testid="file-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={dropped}
    >
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        type="file"
        accept={accept}
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </div>
  );
}
