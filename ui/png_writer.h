// Writes a diagram image as PNG through libpng with settings chosen for speed: a 1,000-record run is several images
// of tens of megapixels, and Qt's PNG writer (every filter tried on every row, zlib's default effort) spends seconds
// on each. Diagrams are flat colour on a plain background, so the Sub filter with zlib's run-length strategy at its
// fastest level compresses them about as well, many times faster.
#pragma once

class QIODevice;
class QImage;

namespace hl::ui {

// `image` must be Format_RGB32 (opaque, as exports draw it); writes 8-bit RGB with the image's dots per metre.
// Returns false (with nothing promised about `out`) when libpng or the device fails.
bool writeFastPng(const QImage& image, QIODevice& out);

} // namespace hl::ui
