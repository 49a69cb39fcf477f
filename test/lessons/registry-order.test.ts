// The lessons come in course order everywhere the registry is read (sockstep run --list, the next
// lesson's link), whatever their export names: lesson 5's 'endOfTheFile' sorts before 'greeting'.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessons } from '../../lessons/index.ts';
import { lessonListing } from '../../lessons/front-matter.ts';

describe('the registry', () => {
  it('lists the lessons in the order of their front matter', () => {
    const orders = lessons.map((l) => lessonListing(l.id, readFileSync(new URL(`../../lessons/${l.id}/lesson.md`, import.meta.url), 'utf8')).meta.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(lessons.map((l) => l.id).slice(0, 5)).toEqual(['01-greeting', '02-list-and-quit', '03-thread-per-client', '04-the-stream', '05-end-of-the-file']);
  });
});
