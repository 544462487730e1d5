// libpng's error handler long-jumps out; nothing with a destructor lives between setjmp and the calls it guards.
#include "png_writer.h"

#include <QIODevice>
#include <QImage>

#include <png.h>
#include <zlib.h>

#include <csetjmp>

namespace hl::ui {
namespace {

void writeData(png_structp png, png_bytep data, png_size_t length)
{
    auto* out = static_cast<QIODevice*>(png_get_io_ptr(png));
    if (out->write(reinterpret_cast<const char*>(data), static_cast<qint64>(length)) != static_cast<qint64>(length))
        png_error(png, "write failed");
}

void flushData(png_structp) {}

// libpng prints warnings to stderr by default; an export has nothing to add to its one line.
void ignoreWarning(png_structp, png_const_charp) {}

bool encode(png_structp png, png_infop info, const QImage& image, QIODevice& out)
{
    if (setjmp(png_jmpbuf(png)))
        return false;
    png_set_write_fn(png, &out, writeData, flushData);
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.width()), static_cast<png_uint_32>(image.height()), 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (image.dotsPerMeterX() > 0 && image.dotsPerMeterY() > 0)
        png_set_pHYs(png, info, static_cast<png_uint_32>(image.dotsPerMeterX()),
                     static_cast<png_uint_32>(image.dotsPerMeterY()), PNG_RESOLUTION_METER);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, 1);
    png_set_compression_strategy(png, Z_RLE);
    png_write_info(png, info);
    // RGB32 is 0xffRRGGBB in native order: on a little-endian machine B, G, R, 0xff in memory.
    if (QSysInfo::ByteOrder == QSysInfo::LittleEndian)
        png_set_bgr(png);
    png_set_filler(png, 0, QSysInfo::ByteOrder == QSysInfo::LittleEndian ? PNG_FILLER_AFTER : PNG_FILLER_BEFORE);
    for (int y = 0; y < image.height(); ++y)
        png_write_row(png, const_cast<png_bytep>(image.constScanLine(y)));
    png_write_end(png, nullptr);
    return true;
}

} // namespace

bool writeFastPng(const QImage& image, QIODevice& out)
{
    if (image.format() != QImage::Format_RGB32 || image.isNull())
        return false;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, ignoreWarning);
    if (!png)
        return false;
    png_infop info = png_create_info_struct(png);
    const bool ok = info && encode(png, info, image, out);
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return ok;
}

} // namespace hl::ui
