document.title = "tracked";
