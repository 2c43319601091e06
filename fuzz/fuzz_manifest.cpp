// The manifest loader (`quarry apply -f`, the YAML pane, resources.yaml) on YAML and JSON text a
// user pastes, possibly from anywhere. The first input byte picks YAML or JSON.
#include "config/ManifestParser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray text(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (data[0] & 1)
        quarry::config::parseManifestJson(text);
    else
        quarry::config::parseManifests(text);
    return 0;
}
