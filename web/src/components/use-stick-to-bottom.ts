import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';

/** How close to the bottom (in px) still counts as "reading the latest". */
const NEAR_BOTTOM_PX = 80;

/**
 * Keeps a scroll container at the bottom while its content grows (streamed words, a loaded history), unless
 * the reader scrolled up to read something earlier. `atBottom` says which (for a "jump to latest" button);
 * `jumpToLatest` scrolls down and follows again (a new question, the button).
 */
export function useStickToBottom<T extends HTMLElement>(): {
  ref: RefObject<T | null>;
  onScroll: () => void;
  atBottom: boolean;
  jumpToLatest: () => void;
} {
  const ref = useRef<T>(null);
  const stuck = useRef(true);
  const [atBottom, setAtBottom] = useState(true);

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
    if (!element) return;
    stuck.current = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX;
    setAtBottom(stuck.current);
  };
  const jumpToLatest = useCallback(() => {
    stuck.current = true;
    setAtBottom(true);
    const element = ref.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);
  return { ref, onScroll, atBottom, jumpToLatest };
}
