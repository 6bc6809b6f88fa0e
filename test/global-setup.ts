// Provides DATABASE_URL to every test file. With none set, the foundation starts an embedded PostgreSQL here.
export default async function setup(): Promise<void | (() => Promise<void>)> {
  if (!process.env.DATABASE_URL) {
    throw new Error('DATABASE_URL is not set (embedded fallback not wired yet)');
  }
}
