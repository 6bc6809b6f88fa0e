// Tailwind CSS 4 runs as a PostCSS plugin inside Next's build.
const config = {
  plugins: { '@tailwindcss/postcss': {} },
};

export default config;
