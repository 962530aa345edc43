#!/usr/bin/env bash
# Fetches the front-end libraries from the npm registry and copies the built files into
# static/vendor/ (committed, so that set-up and run time need no network and no CDN).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund bootstrap@5.3 htmx.org@2 echarts@5 swagger-ui-dist@5 >/dev/null
dest="$root/static/vendor"
mkdir -p "$dest/bootstrap" "$dest/htmx" "$dest/echarts" "$dest/swagger-ui"
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$dest/bootstrap/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts/"
# the API docs page (/api/docs) runs Swagger UI from here: CSP script-src 'self', no CDN
cp node_modules/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui.css,LICENSE} "$dest/swagger-ui/"
# The source maps are not shipped: drop the references so that collectstatic's manifest holds.
sed -i "/sourceMappingURL=/d" "$dest"/*/*.js "$dest"/*/*.css
for pkg in bootstrap htmx.org echarts swagger-ui-dist; do
  node -e "const p=require('./node_modules/$pkg/package.json');console.log(p.name+'@'+p.version+' '+p.license)"
done > "$dest/VERSIONS.txt"
cat "$dest/VERSIONS.txt"
