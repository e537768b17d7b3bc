// Builds static/dist from static/src and the govuk-frontend npm package. Run with `npm run build`.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const src = join(root, 'static', 'src')
const dist = join(root, 'static', 'dist')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

rmSync(dist, { recursive: true, force: true })
mkdirSync(join(dist, 'css'), { recursive: true })
mkdirSync(join(dist, 'js'), { recursive: true })

const css = sass.compile(join(src, 'app.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ['import']
})
writeFileSync(join(dist, 'css', 'app.css'), css.css)

cpSync(join(govuk, 'govuk-frontend.min.js'), join(dist, 'js', 'govuk-frontend.min.js'))
for (const file of readdirSync(join(src, 'js'))) {
  cpSync(join(src, 'js', file), join(dist, 'js', file))
}
// Images only: the GDS Transport fonts in the same folder are for GOV.UK services alone.
cpSync(join(govuk, 'assets', 'images'), join(dist, 'assets', 'images'), { recursive: true })
console.log('Built static/dist')
