import { useEffect } from 'react';

/** Sets the document title: "Overview · Dyocense". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Dyocense` : 'Dyocense';
  }, [title]);
}
