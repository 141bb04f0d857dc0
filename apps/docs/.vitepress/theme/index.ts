// The site's theme: VitePress's default theme; the site's own Vue components are registered here.
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';

export default {
  extends: DefaultTheme,
} satisfies Theme;
