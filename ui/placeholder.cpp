// Placeholder translation unit until the UI lands.
namespace hl::ui {}
