import { type RefObject, useEffect, useRef } from 'react';

/** How close to the bottom (in px) still counts as "reading the latest". */
const NEAR_BOTTOM_PX = 80;

/**
 * Keeps a scroll container at the bottom while its content grows (streamed words, a loaded history), unless
 * the reader scrolled up to read something earlier. Returns the container's ref and its scroll handler.
 */
export function useStickToBottom<T extends HTMLElement>(): {
  ref: RefObject<T | null>;
  onScroll: () => void;
} {
  const ref = useRef<T>(null);
  const stuck = useRef(true);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const follow = () => {
      if (stuck.current) element.scrollTop = element.scrollHeight;
    };
    const observer = new MutationObserver(follow);
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    follow();
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const element = ref.current;
    if (element)
      stuck.current = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX;
  };
  return { ref, onScroll };
}
