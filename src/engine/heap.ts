/** A binary min-heap whose items know their position, so they can be updated or removed in O(log n). */
export interface HeapItem {
  /** position in the heap, -1 when not in it */
  heapIndex: number;
}

export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** inserts `item`, or repositions it when it is already in the heap */
  upsert(item: T): void {
    if (item.heapIndex >= 0) {
      this.siftUp(item.heapIndex);
      this.siftDown(item.heapIndex);
      return;
    }
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.siftUp(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    const last = this.items.pop()!;
    item.heapIndex = -1;
    if (last === item) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.siftUp(i);
    this.siftDown(last.heapIndex);
  }

  private siftUp(i: number): void {
    const items = this.items;
    const x = items[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p]!;
      if (!this.less(x, parent)) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    items[i] = x;
    x.heapIndex = i;
  }

  private siftDown(i: number): void {
    const items = this.items;
    const n = items.length;
    const x = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.less(items[r]!, items[l]!)) c = r;
      const child = items[c]!;
      if (!this.less(child, x)) break;
      items[i] = child;
      child.heapIndex = i;
      i = c;
    }
    items[i] = x;
    x.heapIndex = i;
  }
}
