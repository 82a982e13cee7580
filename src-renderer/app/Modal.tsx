/** A modal dialog over a backdrop; a press on the backdrop itself (not a drag that ends there) closes it. */
import type { ComponentPropsWithRef } from 'react';

export function Modal({ onClose, className, children, ...dialog }: { onClose(): void } & ComponentPropsWithRef<'div'>) {
  return (
    <div className="fs-modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={className ? `fs-modal ${className}` : 'fs-modal'} role="dialog" {...dialog}>
        {children}
      </div>
    </div>
  );
}
