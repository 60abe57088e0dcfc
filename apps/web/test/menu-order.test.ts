import { describe, expect, it } from 'vitest';
import { moved, reordered } from '../src/manage/menu-types.js';

/** The new order a drop in the menu editor sends (`menu.*.reorder` takes the whole list). */
describe('the order after a drop', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('puts the dragged entry before or after the one it was dropped on', () => {
    expect(reordered(ids, ['d'], 'a', 'before')).toEqual(['d', 'a', 'b', 'c']);
    expect(reordered(ids, ['a'], 'd', 'after')).toEqual(['b', 'c', 'd', 'a']);
    expect(reordered(ids, ['a'], 'c', 'before')).toEqual(['b', 'a', 'c', 'd']);
    // Dropped "on" an entry: after it.
    expect(reordered(ids, ['b'], 'c', 'on')).toEqual(['a', 'c', 'b', 'd']);
  });

  it('moves several entries together in their own order', () => {
    expect(reordered(ids, ['d', 'b'], 'a', 'before')).toEqual(['b', 'd', 'a', 'c']);
  });

  it('changes nothing when dropped on itself or on an entry of another list', () => {
    expect(reordered(ids, ['b'], 'b', 'before')).toEqual(ids);
    expect(reordered(ids, ['b'], 'z', 'after')).toEqual(ids);
    // Before the next one or after the previous one is where it already was.
    expect(reordered(ids, ['b'], 'c', 'before')).toEqual(ids);
    expect(reordered(ids, ['b'], 'a', 'after')).toEqual(ids);
  });

  it('the arrows move one place, never past either end', () => {
    expect(moved(ids, 0, -1)).toEqual(ids);
    expect(moved(ids, 3, 1)).toEqual(ids);
    expect(moved(ids, 2, -1)).toEqual(['a', 'c', 'b', 'd']);
  });
});
