/** The width (CSS px) of an element, following its resizes (ResizeObserver); for SVG drawn to fit. */
import { useEffect, useRef, useState, type RefObject } from 'react';

/** @returns a ref to attach and the element's current content width (`fallback` until measured). */
export function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => setWidth(Math.max(0, Math.floor(el.clientWidth)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}
