import { type ReactNode, useState } from 'react';

/** Files dropped anywhere on the chat are attached; an outline shows where they will go while dragging. */
export function DropZone({
  onFiles,
  disabled,
  children,
}: {
  onFiles: (files: File[]) => void;
  disabled: boolean;
  children: ReactNode;
}) {
  const [over, setOver] = useState(false);
  const carriesFiles = (event: React.DragEvent) => event.dataTransfer.types.includes('Files');
  return (
    <main
      className="chat"
      data-dragging={over || undefined}
      onDragOver={(event) => {
        if (disabled || !carriesFiles(event)) return;
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(event) => {
        if (disabled || !carriesFiles(event)) return;
        event.preventDefault();
        setOver(false);
        onFiles(Array.from(event.dataTransfer.files));
      }}
    >
      {children}
    </main>
  );
}
