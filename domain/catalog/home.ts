import type { Database } from '../../server/database';
import type { HomeView } from '../contracts/catalog';
import { CARD_FIELDS, COURSES, toCard } from './courses';
import type { Banner, Category, Course } from './model';

export const CATEGORIES = 'categories';
export const BANNERS = 'banners';
/** Derived views of the catalog, rebuilt when it changes (one document per view). */
export const SNAPSHOTS = 'catalog_snapshots';
const HOME = 'home';
const FEATURED = 6;
const NEWEST = 6;

interface HomeSnapshot {
  _id: string;
  view: HomeView;
  builtAt: Date;
}

/**
 * Builds the home view from the catalog and stores it; whatever changes the catalog calls this. 新课上架
 * lists the newest courses not already among the featured ones.
 */
export async function rebuildHome(db: Database, now: Date): Promise<HomeView> {
  const published = { status: 'published' };
  const [banners, categories, featured, newest] = await Promise.all([
    db.collection<Banner>(BANNERS).orderBy('order', 'asc').limit(10).get(),
    db.collection<Category>(CATEGORIES).orderBy('order', 'asc').limit(100).get(),
    db.collection<Course>(COURSES).where({ ...published, featured: true }).orderBy('stats.sales', 'desc').limit(FEATURED).field(CARD_FIELDS).get(),
    // Enough to leave out the featured ones: a course shows in one list only.
    db.collection<Course>(COURSES).where(published).orderBy('publishedAt', 'desc').limit(NEWEST + FEATURED).field(CARD_FIELDS).get(),
  ]);
  const featuredIds = new Set(featured.data.map((c) => c._id));
  const view: HomeView = {
    banners: banners.data.map((b) => ({ image: b.image, courseId: b.courseId })),
    categories: categories.data.map((c) => ({ id: c._id, name: c.name, audience: c.audience })),
    featured: featured.data.map(toCard),
    newest: newest.data.filter((c) => !featuredIds.has(c._id)).slice(0, NEWEST).map(toCard),
  };
  await db.collection<Omit<HomeSnapshot, '_id'>>(SNAPSHOTS).doc(HOME).set({ data: { view, builtAt: now } });
  return view;
}

/** The home page: one read of the snapshot at steady state; built on the first visit after a reset. */
export async function getHome(db: Database, now: Date): Promise<HomeView> {
  const { data } = await db.collection<HomeSnapshot>(SNAPSHOTS).where({ _id: HOME }).get();
  return data[0]?.view ?? rebuildHome(db, now);
}
